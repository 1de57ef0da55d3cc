package dev.ferry.installer.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code summary.txt}: the first page a support engineer reads. */
final class Summary {
    private Summary() {}

    static String render(
            DiagnoseInputs in,
            JsonNode status,
            JsonNode selftest,
            List<String> addresses,
            List<String> missing,
            List<String> leftOut) {
        StringBuilder s = new StringBuilder();
        s.append("Ferry diagnose archive\n");
        s.append("generated:    ").append(in.clock().instant()).append('\n');
        s.append("bot:          ")
                .append(in.botName() == null ? "(unknown)" : in.botName())
                .append('\n');
        s.append("host:         ").append(in.hostName()).append('\n');
        s.append("IP addresses: ")
                .append(addresses.isEmpty() ? "(none up)" : String.join(", ", addresses))
                .append('\n');
        s.append("\n== status ==\n");
        if (status == null) {
            s.append("unavailable (see status.json)\n");
        } else {
            scalars(status, "", s);
        }
        s.append("\n== last self-test ==\n");
        s.append(selfTest(selftest)).append('\n');
        s.append("\n== missing ==\n");
        s.append(missing.isEmpty() ? "nothing\n" : String.join("\n", missing) + "\n");
        s.append("\n== left out of config/ ==\n");
        s.append(leftOut.isEmpty() ? "nothing\n" : String.join("\n", leftOut) + "\n");
        return s.toString();
    }

    /** Scalar fields of the status document, one level of nesting deep: its shape belongs to the status command. */
    private static void scalars(JsonNode node, String prefix, StringBuilder s) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (v.isValueNode()) {
                s.append(prefix)
                        .append(f.getKey())
                        .append(": ")
                        .append(v.asText())
                        .append('\n');
            } else if (v.isObject() && prefix.isEmpty()) {
                scalars(v, f.getKey() + ".", s);
            }
        }
    }

    private static String selfTest(JsonNode selftest) {
        if (selftest == null || !selftest.has("checks")) {
            return "unavailable (see selftest.json)";
        }
        int pass = 0;
        List<String> failing = new ArrayList<>();
        for (JsonNode c : selftest.get("checks")) {
            String result = c.path("result").asText();
            if (result.equals("pass")) {
                pass++;
            } else if (result.equals("fail")) {
                failing.add(c.path("id").asText() + " (" + c.path("cause").asText() + ")");
            }
        }
        return (failing.isEmpty() ? "passed" : "FAILED") + ": " + pass + " pass, " + failing.size() + " fail"
                + (failing.isEmpty() ? "" : ": " + String.join(", ", failing));
    }
}
