package io.frugalspark.data.input;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Reads the documents of one input file in file order; bad rows go to the skip log. */
public interface DocumentSource {
    /**
     * @throws io.frugalspark.data.BadInputException when the file as a whole cannot be read
     *         (corrupt gzip, not parquet, missing column, too many bad lines), naming the file
     */
    void read(Path file, Configuration conf, SkipLog skips, Consumer<Document> sink) throws IOException;

    /** Longest JSON line read as a document; a longer one is skipped as {@code oversized_line}. */
    int MAX_LINE_BYTES = 64 << 20;

    /**
     * Parquet by extension, JSON lines (gzip when .gz) otherwise.
     * @param maxBadLineFraction JSON lines: the share of a file's records that may be unusable before the file is
     *        an error (parquet files are checked as a whole, by their schema)
     */
    static DocumentSource forFile(Path file, String textColumn, double maxBadLineFraction) {
        return file.getName().endsWith(".parquet") ? new ParquetSource(textColumn) : new JsonLinesSource(textColumn, maxBadLineFraction);
    }
}
