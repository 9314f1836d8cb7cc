using System.Text.Json;
using System.Text.Json.Nodes;
using BehaviorPoints.Core;

namespace BehaviorPoints.Web.Api;

/// <summary>Reads request bodies with a size limit, so oversized and malformed bodies get a clear answer, not a stack trace.</summary>
internal static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>How deep a body may nest; deeper is refused as not valid JSON.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <summary>The body's bytes, or an error result (413 when over <see cref="MaxBytes"/>).</summary>
    public static Task<(byte[]? Body, IResult? Error)> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadBytesAsync(request, MaxBytes, cancellationToken);

    /// <summary>The body's bytes, or an error result (413 when over <paramref name="maxBytes"/>).</summary>
    public static async Task<(byte[]? Body, IResult? Error)> ReadBytesAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, ApiResults.TooLarge($"The body is {request.ContentLength} bytes; the limit is {Size(maxBytes)}."));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, ApiResults.TooLarge($"The body is over the limit of {Size(maxBytes)}."));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, ApiResults.BadRequest("Empty body", "The request needs a JSON body."));
        }
        return (buffer.ToArray(), null);
    }

    private static string Size(int bytes) => bytes == MaxBytes ? $"{bytes} bytes (1 MiB)" : $"{bytes} bytes ({bytes / 1024} KiB)";

    /// <summary>Reads the body as <typeparamref name="T"/>, answering 400/413 with what is wrong.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        var (bytes, error) = await ReadBytesAsync(request, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, DocumentOptions);
            if (JsonChecks.Find(document.RootElement) is { } problem)
            {
                return (null, ApiResults.Unreadable(problem));
            }
            var value = document.RootElement.Deserialize<T>(options);
            return value is null ? (null, ApiResults.BadRequest("Empty body", "The body is JSON null; send an object.")) : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, ApiResults.FromJsonException(exception));
        }
    }

    /// <summary>Reads the body as a JSON object node (for partial updates).</summary>
    public static async Task<(JsonObject? Value, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, error) = await ReadBytesAsync(request, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }
        try
        {
            using (var document = JsonDocument.Parse(bytes, DocumentOptions))
            {
                if (JsonChecks.Find(document.RootElement) is { } problem)
                {
                    return (null, ApiResults.Unreadable(problem));
                }
            }
            return JsonNode.Parse(bytes) is JsonObject node
                ? (node, null)
                : (null, ApiResults.BadRequest("Body must be an object", "Send a JSON object."));
        }
        catch (JsonException exception)
        {
            return (null, ApiResults.FromJsonException(exception));
        }
    }
}
