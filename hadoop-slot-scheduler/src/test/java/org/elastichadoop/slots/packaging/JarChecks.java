package org.elastichadoop.slots.packaging;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Checks of a jar meant for a Hadoop daemon's lib dir; shared with the YARN module's tests (test-jar). */
public final class JarChecks {
    private JarChecks() {}

    /**
     * Asserts every entry outside META-INF passes {@code allowed} (the message names the first that does not) and
     * every class file is Java 8 bytecode or older; returns the names of the class files.
     */
    public static List<String> java8ClassesOnly(File file, Predicate<String> allowed, String whyNot) throws Exception {
        assertTrue(file + " is built by mvn package", file.isFile());
        List<String> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(file)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("META-INF/")) continue;
                assertTrue(whyNot + ": " + name, allowed.test(name));
                if (!name.endsWith(".class")) continue;
                classes.add(name);
                try (InputStream in = jar.getInputStream(entry); DataInputStream d = new DataInputStream(in)) {
                    assertEquals(name + " magic", 0xCAFEBABE, d.readInt());
                    d.readUnsignedShort();
                    int major = d.readUnsignedShort();
                    assertTrue(name + " is class file version " + major + ", above Java 8's 52", major <= 52);
                }
            }
        }
        return classes;
    }
}
