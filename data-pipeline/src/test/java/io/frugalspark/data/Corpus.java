package io.frugalspark.data;

import io.frugalspark.data.input.Document;
import io.frugalspark.data.input.DocumentSource;
import io.frugalspark.data.input.SkipLog;
import io.frugalspark.testkit.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The real corpus shipped under data/corpus, for tests. */
public final class Corpus {
    public static final String MULTILINGUAL = "Hello, world! Xin chào thế giới — tiếng Việt có dấu: Đường phố Hà Nội.\n"
            + "Ünïcödé façade naïve — 日本語のテキスト, 中文文本, 한국어 텍스트, Ελληνικά, русский язык, العربية, עברית.\n"
            + "Emoji 👍🏽🎉 and numbers 1234567 3.14159 $100,000  tabs\tand   spaces\u00a0nbsp\u3000ideographic.\r\n"
            + "It's, we'll, I'VE — code: for (int i = 0; i < n; i++) { x[i] += 1; }   \n\n\n  trailing   ";

    private Corpus() {}

    public static java.nio.file.Path c4() {
        return SharedFiles.repoRoot().resolve("data/corpus/c4-en");
    }

    public static java.nio.file.Path vietvault() {
        return SharedFiles.repoRoot().resolve("data/corpus/vietvault-vi");
    }

    public static java.nio.file.Path file(String relative) {
        return SharedFiles.repoRoot().resolve("data/corpus").resolve(relative);
    }

    /** Documents of one shipped file through the real readers; the shipped files have no bad line. */
    public static List<String> documents(java.nio.file.Path file, String column) {
        List<String> docs = new ArrayList<>();
        Path p = new Path(file.toUri());
        try {
            DocumentSource.forFile(p, column, 0).read(p, new Configuration(), new SkipLog(), (Document d) -> docs.add(d.text()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }
}
