// The GraphQL IDE: GraphiQL with the example tabs, the query-builder
// explorer, history and the docs pane, all served by coopgraph itself.
(function () {
  'use strict';
  const tabs = JSON.parse(document.getElementById('examples').textContent);
  const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      defaultEditorToolsVisibility: true,
      plugins: [explorer],
    }));
})();
