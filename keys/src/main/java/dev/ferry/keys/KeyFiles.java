package dev.ferry.keys;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Ed25519 key files (SPEC section 2 "Keys"): {@code NAME.key.pem}, PKCS#8, encrypted unless made without a
 * passphrase, mode 0600; {@code NAME.pub.pem}, SubjectPublicKeyInfo, mode 0644. Reads keys that {@code openssl
 * genpkey -algorithm ed25519} wrote, plain or encrypted. Uses Bouncy Castle: bundler side only.
 */
public final class KeyFiles {
    public static final String PRIVATE_SUFFIX = ".key.pem";
    public static final String PUBLIC_SUFFIX = ".pub.pem";
    private static final Set<PosixFilePermission> PRIVATE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {}

    public static Path privateKeyFile(Path dir, String name) {
        return dir.resolve(name + PRIVATE_SUFFIX);
    }

    public static Path publicKeyFile(Path dir, String name) {
        return dir.resolve(name + PUBLIC_SUFFIX);
    }

    /**
     * A new key pair, written as {@code outDir/NAME.key.pem} and {@code outDir/NAME.pub.pem}. Never overwrites: if
     * either file exists, nothing is written.
     *
     * @param passphraseOrNull encrypts the private key; null writes it unencrypted. Not wiped here: the caller owns it.
     */
    public static SigningKey generate(String name, Path outDir, char[] passphraseOrNull) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw FerryException.usage(
                    "--name '" + name + "': use letters, digits, '.', '_' and '-' (a file name, not a path)");
        }
        if (passphraseOrNull != null && passphraseOrNull.length == 0) {
            throw FerryException.usage("an empty passphrase is refused");
        }
        Path privateFile = privateKeyFile(outDir, name);
        Path publicFile = publicKeyFile(outDir, name);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw FerryException.usage(outDir + ": cannot create the output folder: " + e.getMessage());
        }
        refuseExisting(privateFile);
        refuseExisting(publicFile);

        KeyPair pair = newPair();
        SigningKey key = SigningKey.of(pair.getPrivate(), pair.getPublic());
        writeNew(privateFile, PRIVATE_MODE, out -> PrivateKeyPem.write(pair.getPrivate(), passphraseOrNull, out));
        try {
            writeNew(
                    publicFile,
                    PUBLIC_MODE,
                    out -> out.write(PublicKeys.toPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII)));
        } catch (RuntimeException e) {
            // Half a pair is useless and would block the next attempt: take the private half back.
            deleteQuietly(privateFile);
            throw e;
        }
        return key;
    }

    /**
     * The signing key in a private-key file, decrypted with the passphrase when the file is encrypted; the public
     * half is derived from the private key, so the {@code .pub.pem} file is not needed.
     *
     * @param passphrase {@link Passphrase#unset()} is fine for an unencrypted key
     */
    public static SigningKey readPrivate(Path file, Passphrase passphrase) {
        Optional<SigningKey> common = PlainEd25519Pem.read(file);
        if (common.isPresent()) {
            return common.get();
        }
        Object pem = PrivateKeyPem.parse(file);
        if (pem instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            return PrivateKeyPem.toSigningKey(PrivateKeyPem.decrypt(encrypted, passphrase, file), file);
        }
        if (pem instanceof PrivateKeyInfo plain) {
            return PrivateKeyPem.toSigningKey(plain, file);
        }
        throw FerryException.usage(file + ": a public key; a private key (" + PRIVATE_SUFFIX + ") is needed to sign");
    }

    /**
     * What the file holds. An encrypted private key is decrypted only when a passphrase is given (a wrong one is a
     * usage error); without one, its algorithm and key id stay unknown (null).
     */
    public static KeyInfo describe(Path file, Passphrase passphraseOrNull) {
        Object pem = PrivateKeyPem.parse(file);
        if (pem instanceof SubjectPublicKeyInfo info) {
            return new KeyInfo(file, "Ed25519", false, false, KeyId.of(PrivateKeyPem.publicKey(info, file)));
        }
        if (pem instanceof PrivateKeyInfo plain) {
            return new KeyInfo(
                    file,
                    "Ed25519",
                    true,
                    false,
                    PrivateKeyPem.toSigningKey(plain, file).keyId());
        }
        PKCS8EncryptedPrivateKeyInfo encrypted = (PKCS8EncryptedPrivateKeyInfo) pem;
        if (passphraseOrNull == null || !passphraseOrNull.isGiven()) {
            return new KeyInfo(file, null, true, true, null);
        }
        PrivateKeyInfo decrypted = PrivateKeyPem.decrypt(encrypted, passphraseOrNull, file);
        return new KeyInfo(
                file,
                "Ed25519",
                true,
                true,
                PrivateKeyPem.toSigningKey(decrypted, file).keyId());
    }

    private static KeyPair newPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        }
    }

    private static void refuseExisting(Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw FerryException.usage(
                    file + ": already exists; not overwritten (move it away or choose another --name)");
        }
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Creates the file with its final mode before any byte is in it, so a private key is never readable by others,
     * not even for a moment. The mode is set again afterwards because the umask may have narrowed it.
     */
    private static void writeNew(Path file, Set<PosixFilePermission> mode, Content content) {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes =
                posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
        boolean created = false;
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(
                file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes))) {
            created = true;
            if (posix) {
                Files.setPosixFilePermissions(file, mode);
            }
            content.writeTo(out);
        } catch (FileAlreadyExistsException e) {
            throw FerryException.usage(
                    file + ": already exists; not overwritten (move it away or choose another --name)");
        } catch (IOException e) {
            if (created) {
                deleteQuietly(file);
            }
            throw FerryException.usage(file + ": cannot write the key file: " + e.getMessage());
        } catch (RuntimeException e) {
            if (created) {
                deleteQuietly(file);
            }
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Nothing better to do: the error that brought us here is the one to report.
        }
    }
}
