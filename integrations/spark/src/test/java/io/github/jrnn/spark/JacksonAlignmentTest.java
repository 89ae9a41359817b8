package io.github.jrnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.scala.DefaultScalaModule;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * jrnn's jackson-core must not bring a second Jackson next to Spark's: the test class path (Spark's and jrnn's
 * dependencies as a user's build resolves them) holds one version of each Jackson artifact, all of the same
 * release line as the jackson-core jrnn reads checkpoints with.
 */
class JacksonAlignmentTest {

    /** A Jackson jar's file name: artifact (with a Scala suffix, if any) and version. */
    private static final Pattern JACKSON_JAR = Pattern.compile(
            "(jackson-[a-z0-9-]+?(?:_2\\.1[23])?)-(\\d+\\.\\d+(?:\\.\\d+)?)\\.jar");

    @Test
    void oneJacksonReleaseLineOnTheClassPath() {
        List<String> jars = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String coreVersion = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher m = JACKSON_JAR.matcher(new File(entry).getName());
            if (m.matches() && entry.contains("com" + File.separator + "fasterxml")) {
                jars.add(m.group(1) + " " + m.group(2));
                assertFalse(names.contains(m.group(1)), "two copies of " + m.group(1) + ": " + jars);
                names.add(m.group(1));
                if (m.group(1).equals("jackson-core")) {
                    coreVersion = m.group(2);
                }
            }
        }
        assertTrue(names.containsAll(List.of("jackson-core", "jackson-databind", "jackson-module-scala_2.13")),
                "Spark's Jackson and jrnn's jackson-core are on the class path: " + jars);
        String line = coreVersion.substring(0, coreVersion.lastIndexOf('.'));
        for (String jar : jars) {
            String version = jar.substring(jar.indexOf(' ') + 1);
            // jackson-annotations has carried only major.minor since 2.20
            assertTrue(version.equals(coreVersion) || version.equals(line), "every Jackson jar at "
                    + coreVersion + " (annotations " + line + "), got " + jars);
        }
    }

    @Test
    void loadedJacksonClassesReportOneVersionAndSparksScalaModuleAcceptsIt() {
        String core = com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString();
        assertEquals(core, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        DefaultScalaModule scala = new DefaultScalaModule();
        assertEquals(core, scala.version().toString());
        // the Scala module refuses a jackson-databind of another minor version when it is registered
        new ObjectMapper().registerModule(scala);
    }
}
