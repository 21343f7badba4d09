package io.datasette.dclient.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reading and writing the JSON files in the config directory without ever losing them: a
 * corrupt file is reported (naming it) and left alone, and writes go to a temp file in the same
 * directory that is then renamed over the old one, so a crash leaves either the old or the new file.
 */
public final class JsonFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private JsonFiles() {}

    /** Reads a JSON object; null when the file does not exist. */
    public static ObjectNode readObject(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (MalformedInputException e) {
            throw corrupt(file, "it is not UTF-8 text");
        } catch (IOException e) {
            throw new DclientException("Cannot read " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) return null;
        JsonNode node;
        try {
            node = Json.parse(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw corrupt(file, "it is not valid JSON" + where);
        }
        if (!(node instanceof ObjectNode obj)) throw corrupt(file, "expected a JSON object");
        return obj;
    }

    public static DclientException corrupt(Path file, String why) {
        return new DclientException("Cannot use " + file + ": " + why
                + ". Fix or move that file; dclient has not changed it.");
    }

    /**
     * Writes {@code text} to {@code file} atomically. {@code secret} files get owner-only
     * permissions on every write (not just the first); the directory is created owner-only.
     */
    public static void writeAtomic(Path file, String text, boolean secret) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            createDirectory(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp"); // 0600 on POSIX
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            setPermissions(tmp, secret ? OWNER_ONLY : READABLE);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            if (secret) setPermissions(file, OWNER_ONLY);
        } catch (IOException e) {
            throw new DclientException("Cannot write " + file + ": " + e.getMessage()
                    + ". The previous version is unchanged.");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    /** Creates the config directory owner-only when it does not exist yet. */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            if (supportsPosix(parent == null ? dir : parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
    }

    /**
     * Runs {@code action} holding an exclusive lock on {@code lockFile}, so that two processes
     * doing read-modify-write on the same file cannot lose each other's change.
     */
    public static <T> T locked(Path lockFile, Callable<T> action) {
        // FileChannel.lock only excludes other processes (threads of this JVM get
        // OverlappingFileLockException), so threads first queue on an in-process lock per file.
        ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                k -> new ReentrantLock());
        inProcess.lock();
        try {
            createDirectory(lockFile.toAbsolutePath().getParent());
            if (inProcess.getHoldCount() > 1) return action.call(); // re-entered: the file lock is held
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                return action.call();
            }
        } catch (DclientException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DclientException("Cannot lock " + lockFile + ": " + e.getMessage());
        } finally {
            inProcess.unlock();
        }
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (supportsPosix(p)) Files.setPosixFilePermissions(p, perms);
    }

    private static boolean supportsPosix(Path p) {
        try {
            return p != null && Files.getFileStore(p).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
