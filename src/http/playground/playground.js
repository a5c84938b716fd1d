/* procgraph's GraphiQL bootstrap: every asset comes from this server, nothing from a CDN. */
(function () {
  var endpoint = new URL("/graphql", window.location.href).toString();
  // Subscriptions go over graphql-ws on the same path (ws:// or wss://); the CSP's 'self' covers it.
  var socketUrl = endpoint.replace(/^http/, "ws");
  var wsClient = graphqlWs.createClient({ url: socketUrl, lazy: true, retryAttempts: 3 });
  var fetcher = GraphiQL.createFetcher({ url: endpoint, headers: { "apollo-require-preflight": "true" }, wsClient: wsClient });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  fetch("/playground/default-query.graphql")
    .then(function (response) { return response.ok ? response.text() : ""; })
    .catch(function () { return ""; })
    .then(function (defaultQuery) {
      root.render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: defaultQuery || undefined,
          defaultEditorToolsVisibility: true,
          shouldPersistHeaders: false,
        }),
      );
    });
})();
