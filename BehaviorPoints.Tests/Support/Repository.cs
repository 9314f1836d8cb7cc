namespace BehaviorPoints.Tests.Support;

/// <summary>The source tree the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder holding BehaviorPoints.sln, found above the test binaries.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BehaviorPoints.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("BehaviorPoints.sln not found above the test binaries.");
    }
}
