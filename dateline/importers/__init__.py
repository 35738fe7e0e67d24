"""`dateline import FORMAT FILE`: events kept in other tools, as content files.

One module per format reads its file into `Imported` events, eras and problems (entry.py);
writer.py checks each event with the parse stage and writes it, never over an existing file;
command.py is the command line."""
