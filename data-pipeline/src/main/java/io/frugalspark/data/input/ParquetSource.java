package io.frugalspark.data.input;

import io.frugalspark.data.BadInputException;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Parquet with a string text column (VietVault's "markdown"); reads only that column. */
final class ParquetSource implements DocumentSource {
    private final String textColumn;

    ParquetSource(String textColumn) {
        this.textColumn = textColumn;
    }

    @Override
    public void read(Path file, Configuration conf, SkipLog skips, Consumer<Document> sink) throws IOException {
        MessageType projection = projection(file, conf);
        Configuration c = new Configuration(conf);
        c.set(ReadSupport.PARQUET_READ_SCHEMA, projection.toString());
        long row = 0;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(c).build()) {
            Group g;
            while ((g = next(reader, file, row)) != null) {
                row++;
                String location = file + ":row " + row;
                if (g.getFieldRepetitionCount(0) == 0) {
                    skips.add(SkipLog.MISSING_TEXT, location);
                    continue;
                }
                String text = g.getString(0, 0);
                if (text.isBlank()) {
                    skips.add(SkipLog.EMPTY_DOCUMENT, location);
                } else {
                    sink.accept(new Document(text, location));
                }
            }
        }
    }

    private static Group next(ParquetReader<Group> reader, Path file, long row) throws IOException {
        try {
            return reader.read();
        } catch (RuntimeException e) { // parquet reports corrupt data as runtime exceptions
            throw new BadInputException("corrupt parquet " + file + " after row " + row + ": " + e, e);
        } catch (IOException e) { // may be transient: fail the task so Spark retries it
            throw new IOException("cannot read " + file + " after row " + row + ": " + e.getMessage(), e);
        }
    }

    private MessageType projection(Path file, Configuration conf) throws IOException {
        MessageType schema;
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            schema = r.getFooter().getFileMetaData().getSchema();
        } catch (RuntimeException e) { // "is not a Parquet file", bad footer
            throw new BadInputException("not a readable parquet file " + file + ": " + e.getMessage(), e);
        }
        if (!schema.containsField(textColumn)) {
            throw new BadInputException("missing column '" + textColumn + "' in " + file + " (columns: "
                    + schema.getFields().stream().map(Type::getName).toList() + "; set data.text_column)");
        }
        Type t = schema.getType(textColumn);
        if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY) {
            throw new BadInputException("column '" + textColumn + "' in " + file + " is not a string column: " + t);
        }
        return Types.buildMessage().addField(t).named(schema.getName());
    }
}
