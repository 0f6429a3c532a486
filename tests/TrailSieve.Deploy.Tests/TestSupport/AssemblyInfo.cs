// jsii runs one Node.js process per test process; synthesis is serialised rather than raced.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
