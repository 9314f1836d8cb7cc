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
        $"This API key sent more requests than its limit allows; retry after {retryAfterSeconds} s.",
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many requests");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>Explains a JSON body that does not fit the expected shape, naming where.</summary>
    public static IResult FromJsonException(JsonException exception) => BadRequest(
        "The body does not fit the expected shape",
        exception.Path is { Length: > 1 } path
            ? $"At {path}: {FirstSentence(exception.Message)}"
            : exception.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? $"At $: {FirstSentence(exception.Message)} Send a JSON object."
                : $"The body is not valid JSON: {FirstSentence(exception.Message)}");

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
