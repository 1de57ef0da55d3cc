package dev.ferry.bundle.hostile;

import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
import java.nio.file.Path;

/**
 * One hostile bundle of the corpus and what Ferry must answer.
 *
 * @param name a stable scenario name, e.g. {@code symlink-then-file-through-it}
 * @param trick the family it belongs to (paths, links, ...), for the summary
 * @param verifyExit what the verifier (and {@code installer verify}) must exit with: {@link ExitCode#OK} only for
 *     the window cases that a bundle alone cannot show (token window, sequence rollback): the install refuses those
 * @param installExit what {@code installer install} must exit with (3 or 6)
 * @param reason the stable reason of the refusal, from the verifier and from both commands' {@code --json}
 * @param bundle the hostile bundle file
 */
public record HostileCase(
        String name, String trick, ExitCode verifyExit, ExitCode installExit, Reason reason, Path bundle) {
    /**
     * The reason {@code install --json} must give: the case's own, unless install stops earlier than the verifier
     * could (a delta's base is judged by preflight, exit 4), then the generic reason of its exit code.
     */
    public Reason installReason() {
        return verifyExit == ExitCode.OK || verifyExit == installExit ? reason : Reason.generic(installExit);
    }

    @Override
    public String toString() {
        return name + " (verify " + verifyExit.code() + ", install " + installExit.code() + ", " + reason.code() + ")";
    }
}
