using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Localization;

namespace BehaviorPoints.Tests.Web.Localization;

/// <summary>A browser's languages pick the UI's: any English is English, simplified Chinese in any spelling is zh-CN.</summary>
public sealed class RequestLanguageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("zh", Cultures.Chinese)]
    [InlineData("zh-CN", Cultures.Chinese)]
    [InlineData("zh-Hans", Cultures.Chinese)]
    [InlineData("zh-Hans-CN", Cultures.Chinese)]
    [InlineData("zh_SG", Cultures.Chinese)]
    [InlineData("en-GB", Cultures.English)]
    [InlineData("EN", Cultures.English)]
    [InlineData("zh-TW", null)]
    [InlineData("zh-Hant-HK", null)]
    [InlineData("fr-FR", null)]
    [InlineData("", null)]
    public void A_browser_language_is_matched_to_the_closest_the_app_speaks(string code, string? expected)
    {
        Assert.Equal(expected, Cultures.Closest(code));
    }

    [Theory]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-Hans-CN,en;q=0.5", "zh-CN")]
    [InlineData("fr-FR, zh;q=0.8, en;q=0.5", "zh-CN")]
    [InlineData("en;q=0.4, zh-Hans;q=0.9", "zh-CN")]
    [InlineData("zh-TW, en;q=0.9", "en")]
    [InlineData("de-DE", "en")]
    public async Task The_sign_in_page_speaks_the_browser_s_preferred_language_the_app_knows(string acceptLanguage, string expected)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);

        using var response = await client.SendAsync(request);
        var page = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, Assert.Single(response.Content.Headers.ContentLanguage));
        Assert.Contains($"<html lang=\"{expected}\"", page, StringComparison.Ordinal);
        Assert.Contains(expected == Cultures.Chinese ? "登录" : "Sign in", page, StringComparison.Ordinal);
    }
}
