package io.github.jrnn.properties.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of {@code StateDicts.read} (torch zip and legacy files, safetensors by delegation) with
 * Jazzer. In a normal test run (regression mode, in a JVM of its own: surefire execution {@code
 * fuzz-corpora-own-jvm}) it replays its seed corpus: nn's torch fixtures, the refused and the hand-built hostile
 * files, copied into {@code TorchPickleJazzerFuzzTestInputs/<method>/} by property-tests' pom. Each must load or
 * give a {@code CheckpointFormatException}, the same from bytes and from a stream, within the time and allocation
 * bounds of {@link StateDictLoads}. Real fuzzing runs with {@code JAZZER_FUZZ=1 ./jrnn test -pl property-tests -am
 * -Dtest=TorchPickleJazzerFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TorchPickleJazzerFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void stateDictsReadGivesALoadOrACheckpointFormatException(byte[] file) {
        StateDictLoads.load(file); // fails on any other exception, an error, a hang or too much allocation
    }
}
