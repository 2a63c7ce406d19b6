package io.frugalspark.data;

import io.frugalspark.data.input.DocumentSource;
import io.frugalspark.data.input.HashSplit;
import io.frugalspark.data.input.InputFile;
import io.frugalspark.data.input.SkipLog;
import io.frugalspark.data.tokenizer.Gpt4PreTokenizer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The BPE training sample, counted in Spark: the first train-split documents of every input file
 * up to an equal share of the byte budget, split into pre-tokens and counted. Exact counts do not
 * depend on partitioning, so neither do the trained merges.
 */
final class BpeSample implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TokenizeOptions options;
    private final SerializableConfiguration conf;
    private final long perFile;

    private BpeSample(TokenizeOptions options, Configuration conf, long perFile) {
        this.options = options;
        this.conf = new SerializableConfiguration(conf);
        this.perFile = perFile;
    }

    static Map<String, Long> wordCounts(JavaSparkContext sc, TokenizeOptions o, List<InputFile> files, int partitions) {
        List<InputFile> train = files.stream().filter(f -> !Manifest.VALIDATION.equals(f.fixedSplit())).toList();
        BpeSample s = new BpeSample(o, sc.hadoopConfiguration(), Math.max(1, o.bpeSampleBytes() / Math.max(1, train.size())));
        return sc.parallelize(train, Math.max(1, Math.min(partitions, train.size())))
                .mapPartitionsToPair(s::countPartition)
                .reduceByKey(Long::sum)
                .collectAsMap();
    }

    private Iterator<Tuple2<String, Long>> countPartition(Iterator<InputFile> files) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        while (files.hasNext()) {
            countFile(files.next(), counts);
        }
        List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
        counts.forEach((w, n) -> out.add(new Tuple2<>(w, n)));
        return out.iterator();
    }

    private void countFile(InputFile file, Map<String, Long> counts) throws IOException {
        long[] used = {0};
        Path path = new Path(file.path());
        try {
            DocumentSource.forFile(path, options.textColumn(), options.maxBadLineFraction()).read(path, conf.value(), new SkipLog(), doc -> {
                if (used[0] >= perFile) {
                    throw new BudgetReached();
                }
                if (HashSplit.of(file, doc.text(), options.validationFraction(), options.seed()).equals(Manifest.TRAIN)) {
                    used[0] += HashSplit.utf8Length(doc.text());
                    Gpt4PreTokenizer.forEachPiece(doc.text(), piece -> counts.merge(piece, 1L, Long::sum));
                }
            });
        } catch (BudgetReached stop) {
            // the file's share of the sample is full
        } catch (BadInputException e) {
            if (options.onError() == OnError.FAIL) {
                throw e;
            } // skipped files are counted by the tokenize pass
        }
    }

    /** Stops reading a file once its share is taken. */
    private static final class BudgetReached extends RuntimeException {
        BudgetReached() {
            super(null, null, false, false);
        }
    }
}
