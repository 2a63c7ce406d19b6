package io.frugalspark.data;

import io.frugalspark.data.input.Document;
import io.frugalspark.data.input.DocumentSource;
import io.frugalspark.data.input.HashSplit;
import io.frugalspark.data.input.InputFile;
import io.frugalspark.data.input.SkipLog;
import io.frugalspark.data.shard.SequenceBuilder;
import io.frugalspark.data.shard.ShardWriter;
import io.frugalspark.data.tokenizer.Tokenizer;
import io.frugalspark.data.tokenizer.TokenizerSpec;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The executor side: tokenizes whole input files, one shard per (file, split), each published
 * by rename and then recorded in {@code _progress/files/}. A file's shards depend only on that
 * file, which is what makes the output independent of the partition count.
 */
final class FileTokenizer implements FlatMapFunction<Iterator<InputFile>, FileResult>, Serializable {
    private static final long serialVersionUID = 1L;
    private final TokenizeOptions options;
    private final TokenizerSpec spec;
    private final SerializableConfiguration conf;

    FileTokenizer(TokenizeOptions options, TokenizerSpec spec, Configuration conf) {
        this.options = options;
        this.spec = spec;
        this.conf = new SerializableConfiguration(conf);
    }

    @Override
    public Iterator<FileResult> call(Iterator<InputFile> files) throws IOException {
        List<FileResult> out = new ArrayList<>();
        try (Tokenizer tokenizer = spec.open()) {
            while (files.hasNext()) {
                out.add(tokenizeFile(files.next(), tokenizer));
            }
        }
        return out.iterator();
    }

    FileResult tokenizeFile(InputFile file, Tokenizer tokenizer) throws IOException {
        Configuration c = conf.value();
        Map<String, SplitOutput> outputs = new TreeMap<>();
        SkipLog skips = new SkipLog();
        Path path = new Path(file.path());
        try {
            DocumentSource.forFile(path, options.textColumn(), options.maxBadLineFraction()).read(path, c, skips, doc -> {
                String split = HashSplit.of(file, doc.text(), options.validationFraction(), options.seed());
                outputs.computeIfAbsent(split, s -> new SplitOutput(tokenizer)).add(doc, tokenizer.encode(doc.text()));
            });
        } catch (BadInputException e) {
            outputs.values().forEach(SplitOutput::discard);
            if (options.onError() == OnError.FAIL) {
                throw e;
            }
            SkipLog unreadable = new SkipLog();
            unreadable.add(SkipLog.UNREADABLE_FILE, e.getMessage());
            return record(new FileResult(file.index(), file.path(), file.length(), Map.of(), unreadable.toManifest()), c);
        }
        Map<String, Manifest.Shard> shards = new TreeMap<>();
        for (Map.Entry<String, SplitOutput> e : outputs.entrySet()) {
            shards.put(e.getKey(), e.getValue().publish(e.getKey(), file, c));
        }
        return record(new FileResult(file.index(), file.path(), file.length(), shards, skips.toManifest()), c);
    }

    private FileResult record(FileResult r, Configuration c) throws IOException {
        Path p = OutputDir.progressFile(options.output(), r.index());
        HadoopFiles.writeAtomically(p.getFileSystem(c), p, Manifest.JSON.writeValueAsBytes(r));
        return r;
    }

    /** One split's sequences of the file being read, buffered in a local shard file. */
    private final class SplitOutput {
        private final SequenceBuilder builder;
        private final ShardWriter writer;
        private long documents;
        private long textBytes;

        SplitOutput(Tokenizer t) {
            builder = SequenceBuilder.of(options.mode(), options.seqLen(), t.eosId(), t.padId());
            try {
                writer = new ShardWriter(Files.createTempFile("frugal-shard-", ".bin"),
                        ShardDtype.forVocab(t.vocabSize()), options.seqLen(), t.padId());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(Document doc, int[] ids) {
            documents++;
            textBytes += HashSplit.utf8Length(doc.text());
            builder.add(ids, writer::append);
        }

        void discard() {
            writer.close();
            writer.file().toFile().delete();
        }

        Manifest.Shard publish(String split, InputFile file, Configuration c) throws IOException {
            builder.finish(writer::append);
            String sha = writer.finish();
            String relative = split + "/" + String.format("%05d", file.index()) + ".bin";
            long bytes = Files.size(writer.file());
            FileSystem fs = new Path(options.output()).getFileSystem(c);
            TaskContext task = TaskContext.get();
            Path tmp = new Path(options.output(), OutputDir.TMP + "/" + split + "-" + file.index() + "-"
                    + (task == null ? 0 : task.taskAttemptId()) + ".bin");
            fs.copyFromLocalFile(true, true, new Path(writer.file().toUri()), tmp);
            HadoopFiles.moveInto(fs, tmp, new Path(options.output(), relative));
            return new Manifest.Shard(relative, file.path(), writer.count(), writer.tokens(), documents, textBytes, bytes, sha);
        }
    }
}
