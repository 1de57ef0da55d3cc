package dev.ferry.bundle;

import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code stat} says about an input file; the same stamp before and after reading means it did not change. Its
 * size, modification and status-change times and inode move with any write, and the status-change time cannot be set
 * back by {@code touch} or {@code cp -p}. What a stamp cannot see is a rewrite within one tick of the file system's
 * clock right around the first read (milliseconds on Linux, 2 s on FAT): see {@link #racy}.
 *
 * @param changed the status-change time (ctime) where the platform has one, else null
 */
public record FileStamp(long size, FileTime modified, FileTime changed, Object fileKey) {
    /**
     * The attributes a stamp is made of, in the form {@code Files.readAttributes} takes after a view name and a colon:
     * a caller that stats a file anyway (a walk of the runtime folder) reads them with its own, once.
     */
    public static final String ATTRIBUTES = "size,lastModifiedTime,ctime,fileKey,isRegularFile";
    /** The same without the status-change time, for a platform without the unix view (the basic view has none). */
    static final String BASIC_ATTRIBUTES = "size,lastModifiedTime,fileKey,isRegularFile";

    /** Coarser than any file system's timestamps (FAT: 2 s). */
    static final Duration RACY = Duration.ofSeconds(3);

    /**
     * The stamp in {@code attributes} as {@code Files.readAttributes(file, "unix:" + ATTRIBUTES + ...)} returned them
     * ({@code ctime} is absent when they were read through the basic view, {@link #BASIC_ATTRIBUTES}), or null when
     * they are not a regular file's.
     */
    public static FileStamp of(Map<String, Object> attributes) {
        if (!Boolean.TRUE.equals(attributes.get("isRegularFile"))) {
            return null;
        }
        return new FileStamp(
                (Long) attributes.get("size"),
                (FileTime) attributes.get("lastModifiedTime"),
                (FileTime) attributes.get("ctime"),
                attributes.get("fileKey"));
    }

    /**
     * Modified so close to {@code firstRead} that a later rewrite could leave the same stamp: as git does with "racily
     * clean" files, such a file is hashed again while it is packed and compared. The stamp itself may be older than
     * {@code firstRead} (taken by a walk before it): a write after it changes the stamp, which is compared at the end.
     */
    boolean racy(Instant firstRead) {
        Instant limit = firstRead.minus(RACY);
        return !modified.toInstant().isBefore(limit)
                || changed != null && !changed.toInstant().isBefore(limit);
    }
}
