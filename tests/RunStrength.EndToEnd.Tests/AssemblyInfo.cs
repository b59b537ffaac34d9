// Each class runs its own LocalHost, worker and Azurite: one at a time keeps a 2-core machine honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
