using System.Text.Json;
using System.Text.RegularExpressions;
using BehaviorPoints.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace BehaviorPoints.Web.Api;

/// <summary>Turns Core's refusals into problem details: invalid input 400 with an error per field, unknown things 404.</summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            ValidationFailedException invalid => ApiResults.Invalid(invalid.Errors),
            NotFoundException missing => ApiResults.NotFound(missing.Message),
            ConflictException conflict => TypedResults.Problem(conflict.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } binding when ParameterBinding.Describe(binding) is { } problem => ApiResults.Invalid(problem.Parameter, problem.Message),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }
}

/// <summary>
/// Says which parameter a request's value did not fit, in words: the framework's own message names the .NET type and
/// echoes the value ("Failed to bind parameter \"int? limit\" from \"abc\"."), neither of which belongs in an answer.
/// </summary>
internal static partial class ParameterBinding
{
    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\" ]+) (?<name>[A-Za-z0-9_]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"(?<type>[^\" ]+) (?<name>[A-Za-z0-9_]+)\" was not provided", RegexOptions.CultureInvariant)]
    private static partial Regex Missing();

    public static (string Parameter, string Message)? Describe(BadHttpRequestException exception)
    {
        if (FailedToBind().Match(exception.Message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            return (name, $"{name} must be {Expected(failed.Groups["type"].Value)}, given once.");
        }
        if (Missing().Match(exception.Message) is { Success: true } missing)
        {
            return (missing.Groups["name"].Value, $"{missing.Groups["name"].Value} is required.");
        }
        return null;
    }

    private static string Expected(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "short" => "a whole number",
        "decimal" or "double" or "float" => "a number",
        "bool" => "true or false",
        "DateTime" or "DateTimeOffset" => "an ISO 8601 date and time",
        _ => "a single valid value",
    };
}

/// <summary>
/// Turns the serializer's "could not be converted to System.Nullable`1[[System.Int64 …]]" into what a sender can act on
/// ("a whole number"): answers never name .NET types.
/// </summary>
internal static partial class JsonShapes
{
    [GeneratedRegex("could not be converted to (?<type>[^ ]+(?: [^ .]+)*?)\\.(?: Path:|$)", RegexOptions.CultureInvariant)]
    private static partial Regex CouldNotConvert();

    public static string? Expected(string message)
    {
        if (CouldNotConvert().Match(message) is not { Success: true } match)
        {
            return null;
        }
        var type = match.Groups["type"].Value;
        var inner = type.StartsWith("System.Nullable`1[[", StringComparison.Ordinal) ? type["System.Nullable`1[[".Length..].Split(',')[0] : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "a whole number (a JSON number, not text)",
            "System.Decimal" or "System.Double" or "System.Single" => "a number (a JSON number, not text)",
            "System.String" => "text",
            "System.Boolean" => "true or false",
            "System.DateTime" or "System.DateTimeOffset" => "an ISO 8601 date and time as text",
            "BehaviorPoints.Core.Domain.LeadStatus" => "one of open, qualified, converted, lost",
            _ when inner.Contains("List`1", StringComparison.Ordinal) || inner.Contains("[]", StringComparison.Ordinal) || inner.Contains("Enumerable", StringComparison.Ordinal) => "an array",
            _ when inner.Contains("JsonElement", StringComparison.Ordinal) => "text, a number or true/false",
            _ => "an object",
        };
    }
}

/// <summary>The problem-detail answers the API gives.</summary>
internal static class ApiResults
{
    public static IResult Invalid(IReadOnlyList<FieldError> errors) => TypedResults.ValidationProblem(
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        detail: errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems: " + string.Join(" ", errors.Select(e => e.ToString())),
        title: "The request has invalid fields");

    public static IResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static IResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    /// <summary>JSON that parses but cannot be read: text that is not Unicode, a property twice.</summary>
    public static IResult Unreadable(JsonChecks.Problem problem) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [problem.Field] = [problem.Message] },
        detail: problem.ToString(),
        title: "The body cannot be read");

    public static IResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");

    public static IResult TooManyRequests(int retryAfterSeconds) => TypedResults.Problem(
        $"More requests than the limit allows (per API key, or per client address for requests without a known key); retry after {retryAfterSeconds} s.",
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many requests");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>Explains a JSON body that does not fit the expected shape, naming where and what was expected.</summary>
    public static IResult FromJsonException(JsonException exception)
    {
        var field = exception.Path is { Length: > 1 } path ? path : "$";
        var expected = JsonShapes.Expected(exception.Message);
        if (expected is not null)
        {
            var name = field == "$" ? "$" : field[(field.LastIndexOfAny(['.', ']']) + 1)..].TrimStart('.');
            var message = $"At {field}: the value must be {expected}.{(field == "$" ? " Send a JSON object." : "")}";
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [name.Length > 0 ? name : field] = [message] },
                detail: message,
                title: "The body does not fit the expected shape");
        }
        return BadRequest(
            "The body does not fit the expected shape",
            field != "$" ? $"At {field}: {FirstSentence(exception.Message)}" : $"The body is not valid JSON: {FirstSentence(exception.Message)}");
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
