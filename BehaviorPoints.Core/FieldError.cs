using System.Globalization;

namespace BehaviorPoints.Core;

/// <summary>
/// One problem with user input, tied to the field it concerns (a JSON path such as <c>rules[1].points</c>). The message
/// is English (the API's language); <see cref="Template"/> and <see cref="Args"/> keep it as a text with {0}-style
/// places, so a UI can say it in the reader's language with <see cref="In"/>.
/// </summary>
public sealed record FieldError(string Field, string Message)
{
    /// <summary>The message with {0}-style places for <see cref="Args"/>; the message itself when it has no values.</summary>
    public string Template { get; private init; } = Message;

    /// <summary>The values the template's places take (a <see cref="Said"/> among them is said in the reader's language too).</summary>
    public IReadOnlyList<object?> Args { get; private init; } = [];

    /// <summary>A problem whose message is <paramref name="template"/> with its places filled by <paramref name="args"/>.</summary>
    public static FieldError Of(string field, string template, params object?[] args) =>
        new(field, args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args)) { Template = template, Args = args };

    /// <summary>The message in the reader's language.</summary>
    public string In(IWords words) => words[Template, [.. Args.Select(a => a is Said said ? said.In(words) : a)]];

    // Two problems are the same when they say the same about the same field, however they were built.
    public bool Equals(FieldError? other) => other is not null && Field == other.Field && Message == other.Message;

    public override int GetHashCode() => HashCode.Combine(Field, Message);

    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Thrown by Core services when input is refused; carries every problem found, not just the first.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    /// <summary>One problem: <paramref name="template"/> with its {0}-style places filled by <paramref name="args"/>.</summary>
    public ValidationFailedException(string field, string template, params object?[] args) : this([FieldError.Of(field, template, args)]) { }
}

/// <summary>Thrown when a request is valid but conflicts with the current state (publishing what is already published).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>Thrown when the thing a request names does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>Thrown when someone may see a thing but not change it.</summary>
public sealed class NotAllowedException(string message) : Exception(message);
