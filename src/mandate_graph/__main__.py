from mandate_graph.cli import run

run()
