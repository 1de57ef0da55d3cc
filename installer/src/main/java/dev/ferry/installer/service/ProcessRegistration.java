package dev.ferry.installer.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code stateDir/NAME.service.json}: the {@code process} manager's registration, so that a later installer run
 * knows the agent is installed, what it runs, and what the running process was started as (an upgrade may change
 * {@code exec} before the old process is stopped).
 *
 * @param startedExec the command line of the process named by the pid file, or null when none was started
 */
record ProcessRegistration(String name, List<String> exec, String workingDir, String logDir, List<String> startedExec) {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static ProcessRegistration of(ServiceSpec spec, List<String> startedExec) {
        return new ProcessRegistration(
                spec.name(),
                spec.exec(),
                String.valueOf(spec.workingDir()),
                String.valueOf(spec.logDir()),
                startedExec);
    }

    static Optional<ProcessRegistration> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(file), ProcessRegistration.class));
        } catch (IOException e) {
            throw new ServiceException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Path file) {
        try {
            ServiceFiles.write(file, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new ServiceException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
