package dev.ferry.bundler.cli;

import dev.ferry.bundle.BundleSplitter;
import dev.ferry.bundle.PartsIndex;
import dev.ferry.cli.Json;
import dev.ferry.cli.JsonOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bundler split BUNDLE --size SIZE}: cut an existing bundle into parts for a medium (SPEC section 11). */
@Command(
        name = "split",
        mixinStandardHelpOptions = true,
        description = {
            "Cut a bundle into parts that fit a medium: NAME-VERSION.bundle.tar.zst.001, .002, ... and the .parts"
                    + " index (each part's size and sha256). cat of the parts is the bundle, byte for byte.",
            "Every command that takes a bundle also takes the index or the first part. The bundle itself is kept."
        })
public final class SplitCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "BUNDLE",
            description = "The bundle (or a split bundle's index, to cut it again).")
    Path bundle;

    @Option(
            names = "--size",
            required = true,
            paramLabel = "SIZE",
            description =
                    "Largest part, as split -b reads it: 700M, 4000M, 4G (K/M/G/T = 1024-based; KB/MB/GB = 1000-based)."
                            + " A FAT32 file holds 4G minus one byte: use 4000M.")
    String size;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the parts (default: beside the bundle).")
    Path out;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long partSize = BundleSplitter.parseSize(size);
        Path outDir = out != null ? out : bundle.toAbsolutePath().getParent();
        BundleSplitter.Split split = BundleSplitter.split(bundle, partSize, outDir);
        print(spec.commandLine().getOut(), split, json.enabled());
        return 0;
    }

    /** The parts and the index, as {@code split} and {@code create --split-size} both print them. */
    static void print(PrintWriter out, BundleSplitter.Split split, boolean json) {
        PartsIndex index = split.content();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("index", split.index().toString());
            doc.put("bundle", index.bundle());
            doc.put("size", index.size());
            doc.put("sha256", index.sha256());
            List<Map<String, Object>> parts = new ArrayList<>();
            for (int i = 0; i < index.parts().size(); i++) {
                PartsIndex.Part part = index.parts().get(i);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("path", split.parts().get(i).toString());
                p.put("size", part.size());
                p.put("sha256", part.sha256());
                parts.add(p);
            }
            doc.put("parts", parts);
            Json.print(out, doc);
            return;
        }
        out.println("index:    " + split.index());
        out.println("size:     " + index.size() + " bytes");
        out.println("sha256:   " + index.sha256());
        for (int i = 0; i < index.parts().size(); i++) {
            PartsIndex.Part part = index.parts().get(i);
            out.printf(
                    "part %d of %d: %s  %d bytes  %s%n",
                    i + 1, index.parts().size(), split.parts().get(i), part.size(), part.sha256());
        }
        out.flush();
    }
}
