global using SynoCertPanel.Pki;
global using SynoCertPanel.Web.Trust;
