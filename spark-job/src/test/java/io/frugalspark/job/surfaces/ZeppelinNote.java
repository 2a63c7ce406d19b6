package io.frugalspark.job.surfaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import scala.Console$;
import scala.collection.immutable.List$;
import scala.runtime.AbstractFunction0;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * A Zeppelin note (.zpln) executed the way Zeppelin's Spark interpreter does: its {@code %spark}
 * paragraphs, in order, in one Scala interpreter with the SparkContext bound as {@code sc}. The
 * paragraph titled "Parameters" is replaced by the caller's values, which must define the same names
 * (like papermill's parameters cell).
 */
final class ZeppelinNote implements AutoCloseable {
    static final String PARAMETERS = "Parameters";
    private static final Pattern VAL = Pattern.compile("(?m)^val (\\w+)\\s*=");
    private final JsonNode note;
    private final StringWriter replLog = new StringWriter();
    private final IMain intp;
    private final AtomicReference<Object> holder = new AtomicReference<>();

    ZeppelinNote(Path file, SparkContext sc) throws IOException {
        note = new ObjectMapper().readTree(file.toFile());
        Settings settings = new Settings();
        settings.processArgumentString("-usejavacp");
        intp = new IMain(settings, new PrintWriter(replLog, true));
        check(intp.bind("sc", SparkContext.class.getName(), sc, List$.MODULE$.empty()), "bind sc");
        check(intp.bind("testValueHolder", "java.util.concurrent.atomic.AtomicReference[Any]", holder, List$.MODULE$.empty()), "bind holder");
    }

    /** Paragraph texts by title, in order. */
    Map<String, String> paragraphs() {
        Map<String, String> p = new LinkedHashMap<>();
        note.get("paragraphs").forEach(n -> p.put(n.get("title").asText(), n.get("text").asText()));
        return p;
    }

    /** Runs every {@code %spark} paragraph; returns what each printed, by title. */
    Map<String, String> run(Map<String, String> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        paragraphs().forEach((title, text) -> {
            if (!text.startsWith("%spark\n")) {
                return;
            }
            String code = text.substring("%spark\n".length());
            if (title.equals(PARAMETERS)) {
                if (!names(code).equals(new TreeSet<>(parameters.keySet()))) {
                    throw new AssertionError("the note's parameters " + names(code) + " differ from the test's " + parameters.keySet());
                }
                StringBuilder sb = new StringBuilder();
                parameters.forEach((k, v) -> sb.append("val ").append(k).append(" = ").append(v).append('\n'));
                code = sb.toString();
            }
            out.put(title, interpret(title, code));
        });
        return out;
    }

    /** The value of a top-level {@code val} the note defined. */
    Object value(String name) {
        interpret("value of " + name, "testValueHolder.set(" + name + ")");
        return holder.get();
    }

    private String interpret(String title, String code) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Results.Result r = Console$.MODULE$.withOut(printed, new AbstractFunction0<Results.Result>() {
            @Override
            public Results.Result apply() {
                return intp.interpret(code);
            }
        });
        check(r, "paragraph '" + title + "'");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void check(Results.Result r, String what) {
        if (r != Results.Success$.MODULE$) {
            throw new AssertionError(what + " failed (" + r + "):\n" + replLog);
        }
    }

    private static TreeSet<String> names(String code) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = VAL.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** A Scala string literal. */
    static String str(Object s) {
        return "\"" + s.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        intp.close();
    }
}
