package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void fileSystemExceptionsNameTheReason() {
        assertEquals("no such file: /x", Errors.oneLine(new NoSuchFileException("/x")));
        assertEquals("permission denied: /x", Errors.oneLine(new AccessDeniedException("/x")));
        assertEquals("Is a directory: /a -> /b", Errors.oneLine(new java.nio.file.FileSystemException("/a", "/b", "Is a directory")));
        assertEquals("IOException", Errors.oneLine(new IOException()));
        assertEquals("first", Errors.oneLine(new IOException("first\nsecond")));
    }

    @Test
    void jsonReadOfMissingFile() {
        Path f = tmp.resolve("missing.json");
        IOException e = assertThrows(IOException.class, () -> Json.read(f, Registration.class));
        assertEquals("reading " + f + ": no such file: " + f, e.getMessage());
    }
}
