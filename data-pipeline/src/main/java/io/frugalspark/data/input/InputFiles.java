package io.frugalspark.data.input;

import io.frugalspark.data.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Lists the input files of a file, directory or glob on any Hadoop FileSystem, sorted by path. */
public final class InputFiles {
    private InputFiles() {}

    public static List<InputFile> list(String input, Configuration conf) {
        List<FileStatus> found = new ArrayList<>();
        try {
            Path p = new Path(input);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("input not found: " + input);
            }
            for (FileStatus m : matches) {
                if (m.isDirectory()) {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        if (isCorpusFile(f.getPath())) {
                            found.add(f);
                        }
                    }
                } else {
                    found.add(m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + input + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no input files (.json.gz, .jsonl, .jsonl.gz, .json, .parquet) under " + input);
        }
        found.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
        return assignSplits(found);
    }

    /** Files named like C4's "c4-validation..." (any name with "validation") fix the split when present. */
    private static List<InputFile> assignSplits(List<FileStatus> files) {
        boolean fixed = files.stream().anyMatch(f -> f.getPath().getName().contains("validation"));
        List<InputFile> out = new ArrayList<>();
        for (FileStatus f : files) {
            String split = !fixed ? null : f.getPath().getName().contains("validation") ? Manifest.VALIDATION : Manifest.TRAIN;
            out.add(new InputFile(out.size(), f.getPath().toString(), f.getLen(), split));
        }
        return out;
    }

    private static boolean isCorpusFile(Path p) {
        String n = p.getName();
        boolean hidden = n.startsWith(".") || n.startsWith("_");
        return !hidden && (n.endsWith(".json.gz") || n.endsWith(".jsonl") || n.endsWith(".jsonl.gz")
                || n.endsWith(".json") || n.endsWith(".parquet"));
    }
}
