using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NSubstitute;
using RunStrength.Functions.Health;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests;

public sealed class HealthAndConflictTests
{
    [Fact]
    public async Task HealthIs503WhenStorageDoesNotAnswer()
    {
        var storage = new StorageOptions { ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;", MaxRetries = 0 };
        var clientOptions = new TableClientOptions();
        StorageServiceCollectionExtensions.Configure(clientOptions, storage);
        var tables = new Tables(new TableServiceClient(storage.ConnectionString, clientOptions), Options.Create(storage));
        var request = TestHttp.Request("GET /api/health", user: null);

        var reply = await TestHttp.Execute(request, new HealthFunctions(tables).Check(default));

        Assert.Equal(503, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task PutThatKeepsLosingRacesIs409AfterBoundedRetries()
    {
        var api = new Api();
        api.Profiles.CreateAsync("alice", Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Conflict));
        var request = TestHttp.Request("PUT /api/me/profile", body: Api.ProfileBody);

        var reply = await TestHttp.Execute(request, api.ProfileFunctions.Put(request, default));

        Assert.Equal(409, reply.Status);
        await api.Profiles.Received(3).CreateAsync("alice", Arg.Any<Profile>(), Arg.Any<CancellationToken>());
        Assert.Empty(api.Plans.ReceivedCalls());
    }
}
