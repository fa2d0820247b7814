global using SynoCertPanel.Pki;
