package dev.ferry.bundle.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * One random edit of a byte string, at a relative position (0..1) so that it fits inputs of any length.
 * {@code SPLICE} joins the head of the input to the tail of another input at independent positions.
 */
record Mutation(Kind kind, double at, double otherAt, int value) {
    enum Kind {
        FLIP,
        INSERT,
        DELETE,
        TRUNCATE,
        SPLICE
    }

    byte[] apply(byte[] input, byte[] other) {
        int i = index(at, input.length);
        return switch (kind) {
            case FLIP -> {
                byte[] out = input.clone();
                if (out.length > 0) {
                    out[Math.min(i, out.length - 1)] ^= (byte) (1 << (value & 7));
                }
                yield out;
            }
            case INSERT -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 1);
                out.write(input, 0, i);
                out.write(value & 0xff);
                out.write(input, i, input.length - i);
                yield out.toByteArray();
            }
            case DELETE -> {
                if (input.length == 0) {
                    yield input;
                }
                int d = Math.min(i, input.length - 1);
                byte[] out = new byte[input.length - 1];
                System.arraycopy(input, 0, out, 0, d);
                System.arraycopy(input, d + 1, out, d, input.length - d - 1);
                yield out;
            }
            case TRUNCATE -> Arrays.copyOf(input, i);
            case SPLICE -> {
                int j = index(otherAt, other.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream(i + other.length - j);
                out.write(input, 0, i);
                out.write(other, j, other.length - j);
                yield out.toByteArray();
            }
        };
    }

    private static int index(double relative, int length) {
        return (int) Math.min(length, Math.floor(relative * (length + 1)));
    }

    @Override
    public String toString() {
        return kind + "@" + String.format("%.4f", at)
                + (kind == Kind.SPLICE ? "+" + String.format("%.4f", otherAt) : "")
                + (kind == Kind.FLIP || kind == Kind.INSERT ? "/" + value : "");
    }
}
