package dev.ferry.installer.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SPEC section 4, for both flavours, under a relocated root: every path of the layout, named once. */
class HostLayoutTest {
    @Test
    void linuxLayoutUnderARoot() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            HostLayout layout = new HostLayout(fs.getPath("/stage"), HostFlavor.LINUX);
            HostPaths bot = layout.agent("certinext-bot");
            assertThat(bot.release("1.4.2-42")).hasToString("/stage/opt/ferry/certinext-bot/releases/1.4.2-42");
            assertThat(bot.current()).hasToString("/stage/opt/ferry/certinext-bot/current");
            assertThat(bot.tokenFile()).hasToString("/stage/etc/ferry/certinext-bot/token");
            assertThat(bot.stateFile()).hasToString("/stage/var/lib/ferry/certinext-bot/state.json");
            assertThat(bot.installLog()).hasToString("/stage/var/log/ferry/certinext-bot/install.log");
            assertThat(layout.trustDir()).hasToString("/stage/etc/ferry/trust.d");
            assertThat(layout.lockFile()).hasToString("/stage/var/lib/ferry/.lock");
        }
    }

    @Test
    void windowsLayoutKeepsRuntimeInProgramFilesAndTheRestInProgramData() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.windows())) {
            HostLayout layout = new HostLayout(fs.getPath("C:\\"), HostFlavor.WINDOWS);
            HostPaths bot = layout.agent("certinext-bot");
            assertThat(bot.current()).hasToString("C:\\Program Files\\Ferry\\certinext-bot\\current");
            assertThat(bot.configDir()).hasToString("C:\\ProgramData\\Ferry\\certinext-bot\\config");
            assertThat(bot.stateFile()).hasToString("C:\\ProgramData\\Ferry\\certinext-bot\\data\\state.json");
            assertThat(bot.logDir()).hasToString("C:\\ProgramData\\Ferry\\certinext-bot\\logs");
            assertThat(layout.trustDir()).hasToString("C:\\ProgramData\\Ferry\\trust.d");

            Files.createDirectories(bot.dataDir());
            Files.writeString(bot.stateFile(), "{}");
            Files.createDirectories(layout.agent("not-installed").logDir());
            assertThat(layout.knownAgents()).containsExactly("certinext-bot");
        }
    }

    @Test
    void everyAgentPathStaysUnderTheRoot() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path root = fs.getPath("/r");
            for (HostFlavor flavor : HostFlavor.values()) {
                HostPaths p = new HostLayout(root, flavor).agent("bot");
                for (Path path :
                        new Path[] {p.current(), p.configDir(), p.dataDir(), p.logDir(), p.txnDir(), p.serviceStateDir()
                        }) {
                    assertThat(path.normalize().startsWith(root))
                            .as(flavor + " " + path)
                            .isTrue();
                }
            }
        }
    }
}
