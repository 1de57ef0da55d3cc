package dev.ferry.cli;

/** Whether to colour, decided once: only on a terminal and never when NO_COLOR is set (https://no-color.org). */
public final class Terminal {
    private static final boolean COLOUR = System.console() != null && System.getenv("NO_COLOR") == null;

    private Terminal() {}

    public static boolean colour() {
        return COLOUR;
    }

    public static boolean interactive() {
        return System.console() != null;
    }

    public static String error(String text) {
        return paint("31;1", text);
    }

    public static String warn(String text) {
        return paint("33", text);
    }

    public static String ok(String text) {
        return paint("32", text);
    }

    public static String paint(String sgr, String text) {
        return COLOUR ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }
}
