package io.frugalspark.data;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.Serializable;
import java.util.Map;

/**
 * What tokenizing one input file produced: its shards by split and its skips. Stored under
 * {@code _progress/files/} when the file is done, which is what lets an interrupted run resume.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FileResult(int index, String input, long length, Map<String, Manifest.Shard> shards,
                         Map<String, Manifest.Skip> skipped) implements Serializable {}
