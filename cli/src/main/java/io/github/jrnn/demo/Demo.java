package io.github.jrnn.demo;

import java.io.PrintStream;

/** One runnable demo of {@code ./jrnn demo NAME}: deterministic for a given seed, finishing in seconds. */
public interface Demo {

    /** The name typed after {@code ./jrnn demo}. */
    String name();

    /** One line saying what the demo shows. */
    String description();

    /** Runs the demo, printing to {@code out}; returns normally on success. */
    void run(long seed, PrintStream out) throws Exception;
}
