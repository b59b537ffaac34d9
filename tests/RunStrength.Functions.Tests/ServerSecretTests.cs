using RunStrength.Functions.Configuration;

namespace RunStrength.Functions.Tests;

public sealed class ServerSecretTests
{
    private static readonly ServerSecret Secret = new("Test:SecretKey", "test-secret", 32, 64, "cmVwb3NpdG9yeS1rZXktMDAwMDAwMDAwMDAwMDAwMDA=");

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("@Microsoft.KeyVault(VaultName=kv;SecretName=test-secret)", false)]
    [InlineData(" @Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)", false)]
    [InlineData("c2hvcnQ=", true)]
    public void AnUnresolvedVaultReferenceCountsAsUnset(string? value, bool set) => Assert.Equal(set, ServerSecret.IsSet(value));

    [Fact]
    public void AKeyWithinTheBoundsIsReadWithSurroundingWhitespaceIgnored()
    {
        var bytes = Enumerable.Range(1, 40).Select(i => (byte)i).ToArray();

        Assert.Equal(bytes, Secret.TryRead($"  {Convert.ToBase64String(bytes)}\n"));
        Assert.Equal(bytes, Secret.Read(Convert.ToBase64String(bytes)));
        Assert.Null(Secret.Problem(Convert.ToBase64String(bytes), required: true));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(65)]
    public void AKeyOutsideTheBoundsIsNotRead(int length)
    {
        var value = Convert.ToBase64String(new byte[length]);

        Assert.Null(Secret.TryRead(value));
        Assert.Equal($"Test:SecretKey is {length} bytes. It must be 32 to 64 random bytes in base64.", Secret.Problem(value, required: false));
    }

    [Fact]
    public void ReadingAnUnusableKeyThrowsNamingTheSettingNotTheValue()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Secret.Read("bm90LWEta2V5"));

        Assert.Equal("Test:SecretKey is 9 bytes. It must be 32 to 64 random bytes in base64.", failure.Message);
        Assert.Equal(
            "Test:SecretKey is not set. Put 32 to 64 random bytes in base64 in the Key Vault (secret test-secret) and restart.",
            Assert.Throws<InvalidOperationException>(() => Secret.Read(null)).Message);
    }

    [Fact]
    public void OnlyARequiredKeyIsAProblemWhenUnset()
    {
        Assert.Null(Secret.Problem(null, required: false));
        Assert.NotNull(Secret.Problem(null, required: true));
        Assert.Empty(Secret.Validate("", required: false, "SecretKey"));
        Assert.Equal(["SecretKey"], Assert.Single(Secret.Validate("", required: true, "SecretKey")).MemberNames);
    }

    [Theory]
    [InlineData("cmVwb3NpdG9yeS1rZXktMDAwMDAwMDAwMDAwMDAwMDA=", true)]
    [InlineData(" cmVwb3NpdG9yeS1rZXktMDAwMDAwMDAwMDAwMDAwMDA= ", true)]
    [InlineData("b3duLWtleS0wMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=", false)]
    [InlineData(null, false)]
    public void TheRepositorysKeyIsRecognisedAsPublished(string? value, bool published) => Assert.Equal(published, Secret.IsRepositoryKey(value));
}
