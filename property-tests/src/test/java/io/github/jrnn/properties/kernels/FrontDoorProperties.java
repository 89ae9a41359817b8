package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * The front door: for every kernel of {@link Kernels} (found by reflection, so a new kernel is covered or fails
 * here for want of an entry in {@link FrontDoorCalls}), a valid call passes, and the same call with exactly one
 * argument made bad (a negative size, a null array or slice, a negative offset, a slice ending past its array, a
 * leading dimension below the row length, or a bad value of another kind) makes the checked kernels of both
 * implementations throw an {@link IllegalArgumentException} whose message starts with the kernel's name and then
 * names that argument and its fault, without having written any array.
 */
class FrontDoorProperties {

    @Property(tries = 30) // each try makes every argument of every kernel bad in turn
    void everyCheckedKernelRejectsEachBadArgumentByNameBeforeWritingAnything(
            @ForAll @IntRange(min = 2, max = 9) int d1, @ForAll @IntRange(min = 2, max = 9) int d2,
            @ForAll @IntRange(min = 2, max = 9) int d3, @ForAll long seed) {
        Random random = new Random(seed);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Method> kernel : KernelMethods.publicMethods().entrySet()) {
            for (Kernels impl : BOTH) {
                KernelCall call = FrontDoorCalls.of(kernel.getKey(), impl, new FrontDoorCalls.Dims(d1, d2, d3, random));
                if (call == null) {
                    problems.add(kernel.getKey() + ": no valid call in FrontDoorCalls");
                    break;
                }
                check(impl, kernel.getValue(), call, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " front-door problems:\n  " + String.join("\n  ", problems));
        }
    }

    private static void check(Kernels impl, Method method, KernelCall call, List<String> problems) {
        String who = impl.name() + " " + call.kernel();
        try {
            KernelCall.invoke(method, impl, call.copyOfArguments());
        } catch (Throwable e) {
            problems.add(who + ": the valid call threw " + e);
            return; // the faults would not be the only bad argument
        }
        for (KernelCall.Fault fault : call.faults()) {
            Object[] args = call.copyOfArguments();
            fault.apply().accept(args);
            String expected = call.kernel() + ": " + fault.expectedMessageStart();
            String what = who + " with " + fault.argument() + " made bad (expected \"" + expected + "...\")";
            try {
                KernelCall.invoke(method, impl, args);
                problems.add(what + ": no exception");
                continue;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith(expected)) {
                    problems.add(what + ": the message was \"" + e.getMessage() + "\"");
                }
            } catch (Throwable e) {
                problems.add(what + ": threw " + e);
                continue;
            }
            try {
                call.assertNothingWritten(args, what);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
    }
}
