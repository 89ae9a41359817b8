/**
 * Batch scoring of variable-length sequences in Apache Spark (4.2+, Scala 2.13) with jrnn's recurrent models:
 * {@link io.github.jrnn.spark.SparkSequenceScorer} appends a score column to a DataFrame (one packed forward per
 * batch of rows, one shared model per executor JVM, loaded from a {@link io.github.jrnn.nn.models.ModelHandle}) and
 * registers the same scoring as a SQL function. {@link io.github.jrnn.spark.SequenceModel} says where the recurrent
 * layer and the optional head are, {@link io.github.jrnn.spark.SequenceInput} where the sequences are, and
 * {@link io.github.jrnn.spark.ScoreOutput} what each row receives.
 *
 * <p>Executors (and a local driver) need {@code --add-modules jdk.incubator.vector} in
 * {@code spark.executor.extraJavaOptions} and {@code spark.driver.extraJavaOptions}; without it jrnn runs on its
 * scalar kernels, many times slower.
 */
package io.github.jrnn.spark;
