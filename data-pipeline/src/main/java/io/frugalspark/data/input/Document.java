package io.frugalspark.data.input;

/** One document's text and where it came from ("file:line" or "file:row N"). */
public record Document(String text, String location) {}
