using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>Shared helpers for API tests: JSON in, JSON out, and problem details checks.</summary>
public abstract class ApiTestBase(ApiFactory api) : ApiTestBase<ApiFactory>(api);

/// <summary>The same over an app of a kind of its own (one whose background jobs are stopped, say).</summary>
public abstract class ApiTestBase<TFactory>(TFactory api) : IClassFixture<TFactory> where TFactory : ApiFactory
{
    protected ApiFactory Api { get; } = api;

    protected static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a problem-details answer with the status and returns its body.</summary>
    protected static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonOf(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    protected static StringContent Raw(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
