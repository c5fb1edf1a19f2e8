using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace AutoGrad.Tests.Package;

/// <summary>
/// The NuGet package works outside the solution: pack the library, create a fresh console project that
/// references the .nupkg from a local folder, and run README's quick start in it.
/// </summary>
public class PackageTests
{
    [Fact]
    public void The_packed_nupkg_runs_the_readme_quick_start_in_a_fresh_console_project()
    {
        string root = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("autograd-package-").FullName;
        try
        {
            string feed = Path.Combine(work, "feed");
            string version = $"0.1.0-smoke.{DateTime.UtcNow:yyyyMMddHHmmssfff}"; // unique, so no cached copy of an older build is used
            Run("dotnet", $"pack \"{Path.Combine(root, "src", "AutoGrad")}\" -c Release -o \"{feed}\" -p:Version={version}", root);
            Assert.True(File.Exists(Path.Combine(feed, $"AutoGrad.{version}.nupkg")));

            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local-autograd" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "QuickStart.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="AutoGrad" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            string quickStart = ReadmeQuickStart(root);
            File.WriteAllText(Path.Combine(app, "Program.cs"), quickStart + """

                Console.WriteLine($"loss {loss.Item:R}");
                Console.WriteLine($"W1 gradient {w1.Grad!.Shape}, W2 gradient {w2.Grad!.Shape}");
                """);
            string output = Run("dotnet", "run", app);
            Assert.Contains("W1 gradient 2×4, W2 gradient 4×1", output);
            Assert.Matches(@"loss \d", output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The first C# block of README.md: the quick start, exactly as a newcomer copies it.</summary>
    private static string ReadmeQuickStart(string root)
    {
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var match = Regex.Match(readme, "```csharp\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no ```csharp block");
        return match.Groups[1].Value;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGrad.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AutoGrad.sln not found above the test binaries");
    }

    private static string Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // the test host's MSBuild settings must not leak into the child builds
        foreach (string key in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBUILDNOINPROCNODE" })
        {
            start.Environment.Remove(key);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{file} {arguments} did not finish in 5 minutes");
        string output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited with {process.ExitCode}:\n{output}");
        return output;
    }
}
