package dev.ferry.keys;

import dev.ferry.common.FerryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Signs by running an external command (SPEC section 10, {@code --sign-command CMD --sign-pub PUB}): the bytes to
 * sign go to its standard input, the raw 64-byte Ed25519 signature comes back on its standard output. The key stays
 * wherever the command keeps it (a PKCS#11 token, an HSM, a KMS). CMD is a shell command line ({@code sh -c}); its
 * standard error goes to ours, so a token's own prompts and errors reach the user.
 *
 * <p>Every signature is checked against {@code --sign-pub} before it is used: a command that signs with another key,
 * signs only a prefix of its input or prints anything but the signature is caught here, not on the isolated host.
 */
public final class CommandSigner implements Signer {
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_OUTPUT = 4096;

    private final String command;
    private final PublicKey publicKey;
    private final String keyId;
    private final String pubSource;

    public CommandSigner(String command, PublicKey publicKey, String pubSource) {
        if (command == null || command.isBlank()) {
            throw FerryException.usage("--sign-command: empty command");
        }
        this.command = command;
        this.publicKey = publicKey;
        this.keyId = KeyId.of(publicKey);
        this.pubSource = pubSource;
    }

    /** The command with the public key read from {@code pubFile} ({@code --sign-pub}). */
    public static CommandSigner of(String command, Path pubFile) {
        return new CommandSigner(command, PublicKeys.read(pubFile), pubFile.toString());
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        byte[] signature = run(data);
        if (signature.length != Signatures.LENGTH) {
            throw failed("printed " + signature.length + " bytes; expected the 64-byte raw Ed25519 signature");
        }
        if (!Signatures.verify(publicKey, data, signature)) {
            throw failed("made a signature that does not verify with " + pubSource + " (key " + keyId
                    + "): wrong key, or it did not sign all " + data.length + " bytes");
        }
        return signature;
    }

    private byte[] run(byte[] data) {
        Process process;
        try {
            process = new ProcessBuilder(List.of("/bin/sh", "-c", command))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw failed("cannot be started: " + e.getMessage());
        }
        try {
            CompletableFuture<byte[]> output =
                    CompletableFuture.supplyAsync(() -> readBounded(process.getInputStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(data);
            } catch (IOException e) {
                // A command that exits without reading its input: its exit status says more than the broken pipe.
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw failed("did not finish within " + TIMEOUT.toMinutes() + " minutes");
            }
            byte[] signature = output.join();
            if (process.exitValue() != 0) {
                throw failed("exited with status " + process.exitValue());
            }
            return signature;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted");
        } catch (CompletionException e) {
            throw failed("output could not be read: " + e.getCause().getMessage());
        } finally {
            process.destroyForcibly();
        }
    }

    private static byte[] readBounded(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[512];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > MAX_OUTPUT) {
                    throw new IOException("more than " + MAX_OUTPUT + " bytes on standard output");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FerryException failed(String what) {
        return FerryException.usage("--sign-command for key " + keyId + " " + what);
    }

    @Override
    public String toString() {
        return "CommandSigner[" + keyId + "]";
    }
}
