package dev.ferry.cli;

import java.lang.reflect.Field;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The picocli command tree that parsing a command line needs. picocli builds the model of every subcommand by
 * reflection when it builds a tree (their options, mixins and annotations): most of what a short command such as
 * {@code installer status} cost at start. When the first word names a subcommand, only that subcommand's model is
 * built, under a root with the root command's attributes and mixins (name, description, version, {@code --help},
 * the inherited {@code --verbose}): what parsing and running it can see of its parent. Anything else (no words, a root
 * option first, an unknown word) gets the whole tree, so help, usage errors and their suggestions name every command
 * as before.
 *
 * <p>A root command's own options must be mixins ({@code @Mixin} fields), as Ferry's are: a subcommand inherits only
 * what they declare with {@code scope = INHERIT}.
 */
public final class CommandTree {
    private CommandTree() {}

    /** The tree for these words: the root with only the subcommand {@code args[0]} names, or with all of them. */
    public static CommandLine forWords(Object root, String... args) {
        Command command = root.getClass().getAnnotation(Command.class);
        Class<?> named = command == null || args.length == 0 ? null : subcommandNamed(command, args[0]);
        if (named == null) {
            return new CommandLine(root);
        }
        CommandLine tree = new CommandLine(rootWithoutSubcommands(root, command));
        tree.addSubcommand(named);
        return tree;
    }

    private static Class<?> subcommandNamed(Command root, String word) {
        for (Class<?> sub : root.subcommands()) {
            Command command = sub.getAnnotation(Command.class);
            if (command != null && (command.name().equals(word) || contains(command.aliases(), word))) {
                return sub;
            }
        }
        return null;
    }

    private static boolean contains(String[] names, String word) {
        for (String name : names) {
            if (name.equals(word)) {
                return true;
            }
        }
        return false;
    }

    /** The root's model as picocli builds it from its annotations, less the subcommands. */
    private static CommandSpec rootWithoutSubcommands(Object root, Command command) {
        IFactory factory = CommandLine.defaultFactory();
        CommandSpec spec = CommandSpec.wrapWithoutInspection(root, factory);
        spec.updateCommandAttributes(command, factory);
        for (Field field : root.getClass().getDeclaredFields()) {
            Mixin mixin = field.getAnnotation(Mixin.class);
            if (mixin != null) {
                spec.addMixin(mixin.name().isEmpty() ? field.getName() : mixin.name(), mixinOf(root, field, factory));
            }
        }
        // Last, as picocli adds them: --help and --version after the root's own options.
        spec.mixinStandardHelpOptions(command.mixinStandardHelpOptions());
        return spec;
    }

    /** The mixin's model, its object injected into the root's field as picocli does. */
    private static CommandSpec mixinOf(Object root, Field field, IFactory factory) {
        try {
            field.setAccessible(true);
            Object mixin = field.get(root);
            if (mixin == null) {
                mixin = factory.create(field.getType());
                field.set(root, mixin);
            }
            return CommandSpec.forAnnotatedObject(mixin, factory);
        } catch (Exception e) {
            throw new CommandLine.InitializationException("cannot create mixin " + field + ": " + e, e);
        }
    }
}
