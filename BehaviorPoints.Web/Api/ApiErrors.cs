using System.Text.Json;
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
