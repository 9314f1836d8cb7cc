namespace BehaviorPoints.Core;

/// <summary>One problem with user input, tied to the field it concerns (a JSON path such as <c>rules[1].points</c>).</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Thrown by Core services when input is refused; carries every problem found, not just the first.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public ValidationFailedException(string field, string message) : this([new FieldError(field, message)]) { }
}

/// <summary>Thrown when a request is valid but conflicts with the current state (publishing what is already published).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>Thrown when the thing a request names does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>Thrown when someone may see a thing but not change it.</summary>
public sealed class NotAllowedException(string message) : Exception(message);
