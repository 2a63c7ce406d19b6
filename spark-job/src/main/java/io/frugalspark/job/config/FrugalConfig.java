package io.frugalspark.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The resolved, validated configuration: defaults ({@code frugal-defaults.conf}), then an optional
 * HOCON file, then {@code --set key=value} overrides, later ones winning. Immutable.
 */
public final class FrugalConfig {
    private static final String DEFAULTS = "frugal-defaults.conf";
    private final Config config;

    private FrugalConfig(Config config) {
        this.config = config;
    }

    public static FrugalConfig defaults() {
        return new FrugalConfig(defaultConfig());
    }

    /** Loads {@code file} (may be null) and applies {@code sets} ("key=value"), validating both. */
    public static FrugalConfig load(File file, List<String> sets) {
        return load(null, file, sets);
    }

    /**
     * As {@link #load(File, List)} with a preset classpath resource (e.g. the demo's) between the
     * defaults and the file.
     */
    public static FrugalConfig load(String presetResource, File file, List<String> sets) {
        Config defaults = defaultConfig();
        Config user = ConfigFactory.empty();
        if (presetResource != null) {
            user = ConfigFactory.parseResources(FrugalConfig.class.getClassLoader(), presetResource,
                    ConfigParseOptions.defaults().setAllowMissing(false));
            validate(defaults, user, "classpath:" + presetResource);
        }
        if (file != null) {
            if (!file.isFile()) {
                throw new ConfigError("config file not found: " + file);
            }
            Config fromFile;
            try {
                fromFile = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("cannot parse config file " + file + ": " + e.getMessage());
            }
            validate(defaults, fromFile, file.getPath());
            user = fromFile.withFallback(user);
        }
        for (String set : sets) {
            Config one = parseSet(defaults, set);
            validate(defaults, one, "--set " + set);
            user = one.withFallback(user);
        }
        return new FrugalConfig(user.withFallback(defaults).resolve());
    }

    private static Config defaultConfig() {
        return ConfigFactory.parseResources(FrugalConfig.class.getClassLoader(), DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    }

    private static Config parseSet(Config defaults, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new ConfigError("--set expects key=value, got '" + set + "'");
        }
        String key = set.substring(0, eq).trim();
        String raw = set.substring(eq + 1).trim();
        if (!defaults.hasPathOrNull(key)) {
            throw unknownKey(defaults, key, "--set " + set);
        }
        ConfigValueType type = defaults.getValue(key).valueType();
        ConfigValue value;
        if (type == ConfigValueType.STRING) {
            // Taken literally: URIs such as hdfs://host/x are not HOCON comments here.
            value = ConfigValueFactory.fromAnyRef(raw, "--set " + set);
        } else {
            try {
                value = ConfigFactory.parseString("v = " + raw,
                        ConfigParseOptions.defaults().setOriginDescription("--set " + set)).getValue("v");
            } catch (ConfigException e) {
                throw new ConfigError("--set " + set + ": cannot parse value for key '" + key + "': " + e.getMessage());
            }
        }
        return ConfigFactory.empty().withValue(key, value);
    }

    /** Every leaf of {@code user} must exist in the defaults with a compatible type. */
    private static void validate(Config defaults, Config user, String source) {
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!defaults.hasPathOrNull(key)) {
                throw unknownKey(defaults, key, source);
            }
            checkType(defaults.getValue(key).valueType(), user, key, source);
        }
    }

    private static void checkType(ConfigValueType expected, Config user, String key, String source) {
        try {
            switch (expected) {
                case NUMBER -> user.getDouble(key);
                case BOOLEAN -> user.getBoolean(key);
                case STRING -> {
                    if (user.getValue(key).valueType() != ConfigValueType.STRING
                            && user.getValue(key).valueType() != ConfigValueType.NUMBER
                            && user.getValue(key).valueType() != ConfigValueType.BOOLEAN) {
                        throw new ConfigException.WrongType(user.origin(), key, "STRING",
                                user.getValue(key).valueType().name());
                    }
                }
                case LIST -> user.getList(key);
                case OBJECT -> user.getObject(key);
                default -> { }
            }
        } catch (ConfigException.WrongType e) {
            throw new ConfigError("config key '" + key + "' in " + source + " has the wrong type: expected "
                    + expected.name().toLowerCase() + ", got " + user.getValue(key).render());
        }
    }

    private static ConfigError unknownKey(Config defaults, String key, String source) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        TreeSet<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            if (e.getKey().startsWith(section + ".")) {
                known.add(e.getKey());
            }
        }
        String hint = known.isEmpty() ? "sections: data, model, optimizer, train, eval, checkpoint, metrics"
                : "known keys in '" + section + "': " + String.join(", ", known);
        return new ConfigError("unknown config key '" + key + "' in " + source + " (" + hint + ")");
    }

    public Config raw() {
        return config;
    }

    public String getString(String key) {
        return config.getString(key);
    }

    /**
     * A path or URI value: relative local paths resolve against the repository root when run through
     * ./frugal (system property frugal.home), so the defaults work from any directory.
     */
    public String getPath(String key) {
        String v = config.getString(key);
        String home = System.getProperty("frugal.home");
        boolean hasScheme = v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
        if (home == null || hasScheme || v.startsWith("/")) {
            return v;
        }
        return java.nio.file.Path.of(home).resolve(v).normalize().toString();
    }

    public int getInt(String key) {
        return config.getInt(key);
    }

    public long getLong(String key) {
        return config.getLong(key);
    }

    public double getDouble(String key) {
        return config.getDouble(key);
    }

    public boolean getBoolean(String key) {
        return config.getBoolean(key);
    }

    /** A new config with one key replaced (validated like --set). */
    public FrugalConfig with(String key, Object value) {
        if (!config.hasPathOrNull(key)) {
            throw new ConfigError("unknown config key '" + key + "'");
        }
        return new FrugalConfig(config.withValue(key, ConfigValueFactory.fromAnyRef(value)));
    }

    /** The sub-tree of one section, e.g. "data". */
    public Config section(String name) {
        return config.getConfig(name);
    }

    /** Stable HOCON text without comments, keys sorted: what is printed at start and stored. */
    public String render() {
        return config.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }

    public String renderJson() {
        return config.root().render(ConfigRenderOptions.concise());
    }

    /** SHA-256 over the rendering of the given sections, for idempotence checks. */
    public String hash(String... sections) {
        StringBuilder sb = new StringBuilder();
        for (String s : sections) {
            sb.append(s).append('=').append(config.getConfig(s).root().render(ConfigRenderOptions.concise())).append('\n');
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
