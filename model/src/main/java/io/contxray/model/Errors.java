package io.contxray.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line descriptions of exceptions for messages that already name what was being done. */
public final class Errors {
    private Errors() {
    }

    /**
     * A short reason: Jackson's message without its source location, a file-system exception as
     * "no such file: /x" (their bare message is only the path), otherwise the message itself.
     */
    public static String oneLine(Throwable e) {
        String msg;
        if (e instanceof JsonProcessingException jpe) {
            msg = jpe.getOriginalMessage();
        } else if (e instanceof FileSystemException fse) {
            msg = fileSystemReason(fse);
        } else {
            msg = e.getMessage();
        }
        if (msg == null || msg.isBlank()) {
            msg = e.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    private static String fileSystemReason(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null) {
            if (e instanceof NoSuchFileException) {
                reason = "no such file";
            } else if (e instanceof AccessDeniedException) {
                reason = "permission denied";
            } else if (e instanceof FileAlreadyExistsException) {
                reason = "already exists";
            } else if (e instanceof DirectoryNotEmptyException) {
                reason = "directory not empty";
            } else if (e instanceof NotDirectoryException) {
                reason = "not a directory";
            } else {
                reason = e.getClass().getSimpleName();
            }
        }
        String file = e.getFile();
        if (file == null) {
            return reason;
        }
        return e.getOtherFile() == null ? reason + ": " + file : reason + ": " + file + " -> " + e.getOtherFile();
    }
}
