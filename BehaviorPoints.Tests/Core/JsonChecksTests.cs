using System.Text;
using System.Text.Json;
using BehaviorPoints.Core;

namespace BehaviorPoints.Tests.Core;

public sealed class JsonChecksTests
{
    private static JsonChecks.Problem? Find(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonChecks.Find(document.RootElement);
    }

    private static JsonChecks.Problem? Find(string json) => Find(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("{\"a\":\"x\",\"b\":[1,\"y\",{\"c\":null}],\"d\":\"caf\\u00e9 \\\"quoted\\\"\"}")]
    [InlineData("{\"a1\":1,\"a2\":1,\"a3\":1,\"a4\":1,\"a5\":1,\"a6\":1,\"a7\":1,\"a8\":1,\"a9\":1,\"a10\":1,\"a11\":1,\"a12\":1,\"a13\":1,\"a14\":1,\"a15\":1,\"a16\":1,\"a17\":1,\"a18\":1}")]
    [InlineData("{\"emoji\":\"\\ud83d\\udca5\",\"n\\u0061me\":\"escaped name, once\"}")]
    public void Clean_json_has_no_problem(string json) => Assert.Null(Find(json));

    [Theory]
    [InlineData("{\"name\":\"a\",\"name\":\"b\"}", "$.name", "name appears more than once")]
    [InlineData("{\"name\":\"a\",\"n\\u0061me\":\"b\"}", "$.name", "name appears more than once")]
    [InlineData("{\"a1\":1,\"a2\":1,\"a3\":1,\"a4\":1,\"a5\":1,\"a6\":1,\"a7\":1,\"a8\":1,\"a9\":1,\"a10\":1,\"a11\":1,\"a12\":1,\"a13\":1,\"a14\":1,\"a15\":1,\"a16\":1,\"a17\":1,\"a3\":2}", "$.a3", "a3 appears more than once")]
    [InlineData("{\"attributes\":{\"title\":\"x\\ud800\"}}", "$.attributes.title", "title is not valid Unicode text")]
    [InlineData("{\"tags\":[\"ok\",\"\\udc00\"]}", "$.tags[1]", "tags is not valid Unicode text")]
    public void Problems_are_found_and_placed(string json, string path, string message)
    {
        var problem = Find(json);

        Assert.NotNull(problem);
        Assert.Equal(path, problem.Value.Path);
        Assert.Contains(message, problem.Value.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_found()
    {
        var problem = Find([.. "{\"email\":\"a"u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]);

        Assert.Equal("$.email", problem?.Path);
    }
}
