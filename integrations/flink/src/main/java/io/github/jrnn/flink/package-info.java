/**
 * jrnn on Apache Flink: {@link io.github.jrnn.flink.RecurrentKeyedFunction} steps a recurrent model once per event
 * with one state per key in Flink's managed keyed state, so checkpoints, savepoints and rescaling carry it.
 * Flink itself is the cluster's (a provided dependency); every Flink JVM needs
 * {@code env.java.opts.all: --add-modules jdk.incubator.vector}.
 */
package io.github.jrnn.flink;
