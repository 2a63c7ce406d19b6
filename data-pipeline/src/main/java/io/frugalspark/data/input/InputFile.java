package io.frugalspark.data.input;

import java.io.Serializable;

/**
 * One input file, its position in the sorted input list (which names its shards), and the split it
 * feeds: a fixed one (C4's train/validation files) or, when null, a per-document hash split.
 */
public record InputFile(int index, String path, long length, String fixedSplit) implements Serializable {}
