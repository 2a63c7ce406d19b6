package io.frugalspark.data.input;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Reads the documents of one input file in file order; bad rows go to the skip log. */
public interface DocumentSource {
    /**
     * @throws io.frugalspark.data.BadInputException when the file as a whole cannot be read
     *         (corrupt gzip, not parquet, missing column), naming the file
     */
    void read(Path file, Configuration conf, SkipLog skips, Consumer<Document> sink) throws IOException;

    /** Parquet by extension, JSON lines (gzip when .gz) otherwise. */
    static DocumentSource forFile(Path file, String textColumn) {
        return file.getName().endsWith(".parquet") ? new ParquetSource(textColumn) : new JsonLinesSource(textColumn);
    }
}
