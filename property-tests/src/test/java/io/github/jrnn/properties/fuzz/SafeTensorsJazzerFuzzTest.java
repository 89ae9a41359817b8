package io.github.jrnn.properties.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the safetensors reader with Jazzer. In a normal test run (regression mode, in a JVM of
 * its own: surefire execution {@code fuzz-corpora-own-jvm}) it runs every input of the seed corpus: nn's committed
 * hostile files and the torch-written fixture, copied into {@code SafeTensorsJazzerFuzzTestInputs/<method>/} by
 * property-tests' pom. Each must load or give a {@code CheckpointFormatException} within the time bound of
 * {@link Loads}. Real fuzzing (new inputs, guided by coverage) runs with {@code JAZZER_FUZZ=1 ./jrnn test -pl
 * property-tests -am -Dtest=SafeTensorsJazzerFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}, bounded by
 * {@code maxDuration}.
 */
class SafeTensorsJazzerFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void safeTensorsReadGivesALoadOrACheckpointFormatException(byte[] file) {
        Loads.load(file); // fails on any other exception, an error, a hang, or read and open disagreeing
    }
}
