package dev.ferry.installer.selftest;

/**
 * The steps of reaching the platform, in order. A check that fails at an earlier step than its own reports that
 * step's root cause, with evidence saying it could not get as far as its own step.
 */
enum Stage {
    DNS("dns"),
    TCP("tcp"),
    PROXY("proxy"),
    TLS("tls"),
    HTTP("http"),
    WEBSOCKET("websocket"),
    SSH("ssh"),
    SNTP("sntp");

    final String label;

    Stage(String label) {
        this.label = label;
    }
}
