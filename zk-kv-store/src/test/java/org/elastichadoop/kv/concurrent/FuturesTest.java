package org.elastichadoop.kv.concurrent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.Test;

public class FuturesTest {
    @Test
    public void causeUnwrapsEveryLevelOfBothWrappers() {
        IOException root = new IOException("disk gone");
        Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(root)));
        assertSame(root, Futures.cause(wrapped));
    }

    @Test
    public void aWrapperWithoutCauseIsTheCause() {
        CompletionException empty = new CompletionException("no cause given", null);
        assertSame(empty, Futures.cause(empty));
        ExecutionException inner = new ExecutionException("no cause given", null);
        assertSame(inner, Futures.cause(new CompletionException(inner)));
    }

    @Test
    public void aPlainExceptionIsItsOwnCause() {
        IllegalStateException plain = new IllegalStateException("closed");
        assertSame(plain, Futures.cause(plain));
        RuntimeException withCause = new RuntimeException(new IOException("below"));
        assertSame("only the futures' wrappers are taken off", withCause, Futures.cause(withCause));
    }

    @Test
    public void awaitReturnsTheValue() throws IOException {
        assertEquals("v", Futures.await(CompletableFuture.completedFuture("v"), 1, "reading k"));
    }

    @Test
    public void awaitReportsTheFailureWithItsMessageAndCause() {
        IOException root = new IOException("disk gone");
        CompletableFuture<String> f = CompletableFuture.<String>failedFuture(root).thenApply(s -> s + "!");
        IOException e = assertThrows(IOException.class, () -> Futures.await(f, 1, "reading k"));
        assertEquals("reading k: disk gone", e.getMessage());
        assertSame(root, e.getCause());
    }

    @Test
    public void awaitUnwrapsNestedWrappersOfTheFailure() {
        IllegalArgumentException root = new IllegalArgumentException("bad key");
        CompletableFuture<String> f = new CompletableFuture<>();
        f.completeExceptionally(new CompletionException(new ExecutionException(root)));
        IOException e = assertThrows(IOException.class, () -> Futures.await(f, 1, "reading k"));
        assertEquals("reading k: bad key", e.getMessage());
        assertSame(root, e.getCause());
    }

    @Test
    public void awaitGivesUpAfterTheTimeout() {
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> Futures.await(new CompletableFuture<>(), 1, "reading k"));
        assertEquals("reading k: no answer within 1 s", e.getMessage());
        assertNull(e.getCause());
        assertTrue("waited the second", System.nanoTime() - start >= 1_000_000_000L);
    }

    @Test
    public void awaitStopsOnInterruptAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            IOException e = assertThrows(IOException.class, () -> Futures.await(new CompletableFuture<>(), 60, "reading k"));
            assertEquals("interrupted waiting for reading k", e.getMessage());
            assertTrue("interrupt flag restored", Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
